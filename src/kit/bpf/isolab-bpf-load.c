// isolab-bpf-load: loads one BPF object, attaches every program and pins what it made, then exits.
//
//   isolab-bpf-load OBJECT PIN_DIR [NAME=VALUE ...] [MAP:KEYHEX=VALUEHEX ...]
//   isolab-bpf-load --show LINK_PIN      (what a pinned link's program is attached to)
//
// The four steps every loader takes, in order (libbpf's own names):
//   1. open    bpf_object__open_file: read the ELF, its programs, maps and BTF; nothing is in the kernel yet.
//              NAME=VALUE sets a `const volatile` global (the object's .rodata) before the load, so the
//              verifier sees the value as a constant.
//   2. load    bpf_object__load: create the maps, and hand each program to the verifier, which may refuse it.
//              MAP:KEYHEX=VALUEHEX then puts one entry in a map (key and value as hex bytes, in memory order).
//   3. attach  bpf_program__attach: each program to the hook its section names (SEC("lsm/file_open") is the
//              LSM hook file_open); the kernel answers with a link.
//   4. pin     bpf_link__pin, bpf_map__pin: a file under the BPF filesystem for each link and map. A pin holds
//              a reference, so the program stays attached after this process exits; removing the link's pin
//              (rm, or unlink) detaches it once nothing else holds the link.
//
// PIN_DIR must lie under /sys/fs/bpf/isolab… (isolab removes what it finds there), have no dot in its name and
// hold no pins yet.
// Output, one line per object made: `link id=… prog=… prog_id=… pinned=…` and `map id=… name=… pinned=…`.
// Exit codes: 0 done, 2 usage, 3 the kernel or the object refused (the message says what and what to do); on
// any failure nothing stays pinned.
//
// Build: cc -O2 -o isolab-bpf-load isolab-bpf-load.c -lbpf   (Debian: libbpf-dev)
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define PIN_ROOT "/sys/fs/bpf/"
#define MAX_PINS 64

// libbpf's messages (the verifier's log among them) are kept, and only their end is shown when something fails.
static char messages[64 * 1024];
static size_t messages_len;

static int keep_message(enum libbpf_print_level level, const char *format, va_list args) {
	if (level == LIBBPF_DEBUG) return 0;
	if (messages_len > sizeof(messages) / 2) {
		size_t keep = sizeof(messages) / 4;
		memmove(messages, messages + messages_len - keep, keep);
		messages_len = keep;
	}
	int n = vsnprintf(messages + messages_len, sizeof(messages) - messages_len, format, args);
	if (n > 0) messages_len += (size_t)n < sizeof(messages) - messages_len ? (size_t)n : sizeof(messages) - messages_len - 1;
	return 0;
}

static void show_message_tail(int lines) {
	if (messages_len == 0) return;
	const char *start = messages + messages_len;
	while (start > messages && lines >= 0) {
		start--;
		if (*start == '\n' && start + 1 < messages + messages_len) lines--;
	}
	if (*start == '\n') start++;
	fprintf(stderr, "libbpf said (last lines; the verifier's reason is usually the last before 'processed'):\n%.*s",
		(int)(messages + messages_len - start), start);
}

static char pinned[MAX_PINS][PATH_MAX];
static int pinned_count;
static char made_dir[PATH_MAX];

// Nothing half-made stays behind: the pins made so far, and the directory if this run made it.
static void undo_pins(void) {
	while (pinned_count > 0) unlink(pinned[--pinned_count]);
	if (made_dir[0]) rmdir(made_dir);
}

static int fail(int code, const char *what, int err, const char *remedy) {
	fprintf(stderr, "isolab-bpf-load: %s", what);
	if (err) fprintf(stderr, ": %s (%s)", strerror(err), strerrorname_np(err) ? strerrorname_np(err) : "?");
	fprintf(stderr, "\n");
	if (remedy) fprintf(stderr, "  %s\n", remedy);
	undo_pins();
	return code;
}

static int usage(const char *why) {
	fprintf(stderr, "isolab-bpf-load: %s\nusage: isolab-bpf-load OBJECT PIN_DIR [NAME=VALUE ...] [MAP:KEYHEX=VALUEHEX ...]\n"
		"       isolab-bpf-load --show LINK_PIN\n"
		"  PIN_DIR lies under " PIN_ROOT "isolab…, without a dot (for example " PIN_ROOT "isolab-bpf-lsm-deny)\n", why);
	return 2;
}

// Only /sys/fs/bpf/isolab…: one component starting with isolab, no `//`, and no dot at all: the BPF filesystem
// keeps names with a dot for itself and refuses them with EPERM (kernel/bpf/inode.c, bpf_lookup()).
static int pin_dir_allowed(const char *dir) {
	if (strncmp(dir, PIN_ROOT "isolab", strlen(PIN_ROOT "isolab")) != 0) return 0;
	if (strchr(dir, '.') || strstr(dir, "//")) return 0;
	return strlen(dir) < PATH_MAX - 64;
}

static int remedy_errno(int err, const char **remedy) {
	switch (err) {
	case EPERM:
		*remedy = "Run as root. For an LSM program the kernel must load LSM programs (bpftool feature probe kernel: "
			"have_lsm_prog_type); `isolab doctor` says why it does not here. (Where bpf is missing from "
			"/sys/kernel/security/lsm, LSM programs load and attach but are never called.)";
		break;
	case EACCES:
	case EINVAL:
		*remedy = "The verifier refused the program: read its last lines above, fix the source, compile again.";
		break;
	case ENOENT:
	case ESRCH:
		*remedy = "A hook, type or helper the object names is not in this kernel: check the SEC() name and the "
			"kernel's BTF (bpftool btf dump file /sys/kernel/btf/vmlinux format c | grep ...).";
		break;
	case E2BIG:
		*remedy = "The map is full: delete an entry before adding one, or give the map more max_entries.";
		break;
	default:
		*remedy = NULL;
	}
	return err;
}

static int hex_bytes(const char *hex, unsigned char *out, size_t size) {
	if (strncmp(hex, "0x", 2) == 0) hex += 2;
	if (strlen(hex) != size * 2) return -1;
	for (size_t i = 0; i < size; i++) {
		unsigned int byte;
		if (sscanf(hex + 2 * i, "%2x", &byte) != 1) return -1;
		out[i] = (unsigned char)byte;
	}
	return 0;
}

// NAME=VALUE: the `const volatile` global NAME in .rodata, an integer of 1, 2, 4 or 8 bytes.
static int set_global(struct bpf_object *obj, const char *name, const char *value) {
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;
	bpf_object__for_each_map(map, obj) {
		if (!bpf_map__is_internal(map) || !strstr(bpf_map__name(map), ".rodata")) continue;
		int sec = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
		if (sec < 0) break;
		const struct btf_type *datasec = btf__type_by_id(btf, sec);
		const struct btf_var_secinfo *var = btf_var_secinfos(datasec);
		for (int i = 0; i < btf_vlen(datasec); i++, var++) {
			const struct btf_type *type = btf__type_by_id(btf, var->type);
			if (strcmp(btf__name_by_offset(btf, type->name_off), name) != 0) continue;
			char *end;
			errno = 0;
			unsigned long long number = value[0] == '-' ? (unsigned long long)strtoll(value, &end, 0) : strtoull(value, &end, 0);
			if (errno || *end || end == value) {
				fprintf(stderr, "isolab-bpf-load: %s=%s: not a number\n", name, value);
				return 2;
			}
			size_t size;
			const void *initial = bpf_map__initial_value(map, &size);
			if (!initial || var->offset + var->size > size || (var->size != 1 && var->size != 2 && var->size != 4 && var->size != 8)) {
				fprintf(stderr, "isolab-bpf-load: %s is not an integer global this loader can set\n", name);
				return 2;
			}
			unsigned char *data = malloc(size);
			memcpy(data, initial, size);
			// The BPF target has this machine's byte order: the low bytes of the number, in place.
			union { unsigned long long u64; unsigned int u32; unsigned short u16; unsigned char u8; } cell;
			if (var->size == 8) cell.u64 = number;
			else if (var->size == 4) cell.u32 = (unsigned int)number;
			else if (var->size == 2) cell.u16 = (unsigned short)number;
			else cell.u8 = (unsigned char)number;
			memcpy(data + var->offset, &cell, var->size);
			int err = bpf_map__set_initial_value(map, data, size);
			free(data);
			return err ? 3 : 0;
		}
	}
	fprintf(stderr, "isolab-bpf-load: the object has no `const volatile` global %s (declare it at file scope, and use it, "
		"or the compiler drops it)\n", name);
	return 2;
}

static int pin_path(char *out, const char *dir, const char *name) {
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);
	return n > 0 && n < PATH_MAX ? 0 : -1;
}

static void remember_pin(const char *path) {
	snprintf(pinned[pinned_count++], PATH_MAX, "%s", path);
}

// mkdir -p for the part under /sys/fs/bpf; refuses a directory that already holds pins.
static int make_pin_dir(const char *dir) {
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) return ENOTDIR;
		if (rmdir(dir) != 0) return errno == ENOTEMPTY || errno == EEXIST ? EEXIST : errno;
	}
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s", dir);
	for (char *slash = path + strlen(PIN_ROOT); ; slash++) {
		if (*slash != '/' && *slash != '\0') continue;
		char keep = *slash;
		*slash = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) return errno;
		*slash = keep;
		if (!keep) break;
	}
	snprintf(made_dir, sizeof(made_dir), "%s", dir);
	return 0;
}

// --show PIN: what a pinned link is attached to, which bpftool before 7.3 does not print for LSM links:
// `link id=… prog_id=… prog=… target=bpf_lsm_file_open` (the kernel function each LSM hook's BPF programs hang on).
static int show_link(const char *path) {
	int fd = bpf_obj_get(path);
	if (fd < 0) return fail(3, "cannot open the pin", errno, path);
	struct bpf_link_info link = {0};
	struct bpf_prog_info prog = {0};
	__u32 link_len = sizeof(link), prog_len = sizeof(prog);
	if (bpf_obj_get_info_by_fd(fd, &link, &link_len)) return fail(3, "the pin is not a link", errno, path);
	int prog_fd = bpf_prog_get_fd_by_id(link.prog_id);
	if (prog_fd < 0 || bpf_obj_get_info_by_fd(prog_fd, &prog, &prog_len)) return fail(3, "cannot read the link's program", errno, path);
	// The link says where it attached (Linux 5.13+); the program says what it was loaded for (Linux 5.16+).
	__u32 btf_id = link.type == BPF_LINK_TYPE_TRACING && link.tracing.target_btf_id ? link.tracing.target_btf_id : prog.attach_btf_id;
	const char *target = "?";
	struct btf *vmlinux = btf_id ? btf__load_vmlinux_btf() : NULL;
	const struct btf_type *type = vmlinux ? btf__type_by_id(vmlinux, btf_id) : NULL;
	if (type) target = btf__name_by_offset(vmlinux, type->name_off);
	printf("link id=%u prog_id=%u prog=%s target=%s\n", link.id, link.prog_id, prog.name, target);
	return 0;
}

int main(int argc, char **argv) {
	if (argc == 3 && strcmp(argv[1], "--show") == 0) return show_link(argv[2]);
	if (argc < 3) return usage("an object and a pin directory are needed");
	const char *object_path = argv[1];
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", argv[2]);
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/') dir[--len] = '\0';
	if (!pin_dir_allowed(dir)) return usage("the pin directory must lie under " PIN_ROOT "isolab…, with no dot in its name (the BPF filesystem refuses those)");
	libbpf_set_print(keep_message);
	const char *remedy;

	// 1. open
	struct bpf_object *obj = bpf_object__open_file(object_path, NULL);
	if (!obj) {
		int err = errno;
		show_message_tail(5);
		return fail(3, "cannot open the object", err, err == ENOENT ? "Compile it first (clang -target bpf ...)." : "Is it a BPF object? clang -O2 -g -target bpf -c x.bpf.c -o x.bpf.o");
	}
	for (int i = 3; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq) return usage("settings are NAME=VALUE or MAP:KEYHEX=VALUEHEX");
		if (strchr(argv[i], ':') && strchr(argv[i], ':') < eq) continue;  // a map entry: after the load
		*eq = '\0';
		int code = set_global(obj, argv[i], eq + 1);
		*eq = '=';
		if (code) return code;
	}

	// 2. load
	int err = -bpf_object__load(obj);
	if (err) {
		show_message_tail(20);
		remedy_errno(err, &remedy);
		return fail(3, "the kernel refused to load the object", err, remedy);
	}
	for (int i = 3; i < argc; i++) {
		char *colon = strchr(argv[i], ':'), *eq = strchr(argv[i], '=');
		if (!colon || colon > eq) continue;
		*colon = '\0';
		struct bpf_map *map = bpf_object__find_map_by_name(obj, argv[i]);
		*colon = ':';
		if (!map) return fail(2, "no such map in the object", 0, argv[i]);
		unsigned char key[512], value[4096];
		size_t key_size = bpf_map__key_size(map), value_size = bpf_map__value_size(map);
		*eq = '\0';
		int bad = key_size > sizeof(key) || value_size > sizeof(value) || hex_bytes(colon + 1, key, key_size) || hex_bytes(eq + 1, value, value_size);
		*eq = '=';
		if (bad) return fail(2, "a map entry's key or value does not have the map's size in hex bytes", 0, argv[i]);
		err = -bpf_map__update_elem(map, key, key_size, value, value_size, BPF_ANY);
		if (err) {
			remedy_errno(err, &remedy);
			return fail(3, "the kernel refused a map entry", err, remedy);
		}
	}

	err = make_pin_dir(dir);
	if (err) return fail(3, "cannot make the pin directory", err, err == EEXIST ? "It already holds pins: remove them first (rm -r the directory)." : "Is the BPF filesystem mounted at /sys/fs/bpf? mount -t bpf bpf /sys/fs/bpf");

	// 3. attach and 4. pin, program by program; then the maps (the object's own .rodata/.bss stay unpinned).
	struct bpf_program *prog;
	char path[PATH_MAX];
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__autoload(prog)) continue;
		struct bpf_link *link = bpf_program__attach(prog);
		if (!link) {
			err = errno;
			show_message_tail(5);
			remedy_errno(err, &remedy);
			fprintf(stderr, "isolab-bpf-load: program %s (section %s)\n", bpf_program__name(prog), bpf_program__section_name(prog));
			return fail(3, "cannot attach it", err, remedy);
		}
		if (pinned_count >= MAX_PINS || pin_path(path, dir, bpf_program__name(prog))) return fail(3, "too many pins", 0, NULL);
		err = -bpf_link__pin(link, path);
		if (err) return fail(3, "cannot pin a link", err, path);
		remember_pin(path);
		struct bpf_link_info link_info = {0};
		struct bpf_prog_info prog_info = {0};
		__u32 link_len = sizeof(link_info), prog_len = sizeof(prog_info);
		bpf_obj_get_info_by_fd(bpf_link__fd(link), &link_info, &link_len);
		bpf_obj_get_info_by_fd(bpf_program__fd(prog), &prog_info, &prog_len);
		printf("link id=%u prog=%s prog_id=%u pinned=%s\n", link_info.id, bpf_program__name(prog), prog_info.id, path);
	}
	struct bpf_map *map;
	bpf_object__for_each_map(map, obj) {
		if (bpf_map__is_internal(map)) continue;
		if (pinned_count >= MAX_PINS || pin_path(path, dir, bpf_map__name(map))) return fail(3, "too many pins", 0, NULL);
		err = -bpf_map__pin(map, path);
		if (err) return fail(3, "cannot pin a map", err, path);
		remember_pin(path);
		struct bpf_map_info map_info = {0};
		__u32 map_len = sizeof(map_info);
		bpf_obj_get_info_by_fd(bpf_map__fd(map), &map_info, &map_len);
		printf("map id=%u name=%s pinned=%s\n", map_info.id, bpf_map__name(map), path);
	}
	// The pins now hold everything; the process's own references go with it.
	bpf_object__close(obj);
	return 0;
}
