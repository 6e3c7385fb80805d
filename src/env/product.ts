import type { ContainerLayer } from './container.js';
import type { KernelLayer } from './kernel.js';

export type Product = 'devcontainer' | 'codespaces' | 'gitpod' | 'docker-desktop' | 'orbstack' | 'wsl2' | 'none';

export interface ProductLayer {
  product: Product;
  evidence: string[];
}

/**
 * The product around the machine, from the variables each sets (kernel-facts §6). VS Code sets its Dev
 * Containers variables only in processes it starts, so a `docker exec` shell shows none: a container on a
 * linuxkit kernel is then still recognised as Docker Desktop.
 */
export function readProduct(env: NodeJS.ProcessEnv, kernel: KernelLayer, container: ContainerLayer): ProductLayer {
  if (env.CODESPACES === 'true') return { product: 'codespaces', evidence: ['CODESPACES=true'] };
  if (env.GITPOD_WORKSPACE_ID) return { product: 'gitpod', evidence: ['GITPOD_WORKSPACE_ID is set'] };
  const devcontainerVariable = ['REMOTE_CONTAINERS', 'REMOTE_CONTAINERS_IPC', 'VSCODE_REMOTE_CONTAINERS_SESSION'].find((name) => env[name]);
  if (devcontainerVariable) return { product: 'devcontainer', evidence: [`${devcontainerVariable} is set (VS Code Dev Containers)`] };
  const inContainer = container.kind !== 'none' && container.kind !== 'wsl';
  if (kernel.flavour === 'orbstack') return { product: 'orbstack', evidence: [`kernel ${kernel.release}`] };
  if (inContainer && kernel.flavour === 'linuxkit') return { product: 'docker-desktop', evidence: [`a container on Docker Desktop's linuxkit kernel (${kernel.release})`] };
  if (inContainer && kernel.flavour === 'wsl2') return { product: 'docker-desktop', evidence: [`a container on a WSL2 kernel (${kernel.release}): Docker Desktop's WSL2 backend`] };
  if (kernel.flavour === 'wsl2') return { product: 'wsl2', evidence: [`kernel ${kernel.release}`] };
  return { product: 'none', evidence: [] };
}
