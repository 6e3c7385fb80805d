import { describe, expect, it } from 'vitest';
import { readLessonBody } from '../../lessons/index.js';
import { packageRoot } from '../../system/index.js';
import { parseLessonText } from './lesson-text.js';

describe('parseLessonText', () => {
  it('finds the numbered steps, their shell commands (not an unlabelled block: output) and the questions they answer', () => {
    const text = parseLessonText(
      '# T\n\n```sh\nintro\n```\n\n## Step 1: One\n\n```sh\nls\nisolab answer 0.1 kernel-release "$(uname -r)"\n```\n\n```ts\nconst x = 1;\n```\n\n## Step 2. Two\n\n```bash\nisolab answer 0.1 pid1 x\n```\n\n```\n7:0 rbytes=0 wbytes=4194304\n```\n\n## When it goes wrong\n\n```sh\nnot a step\n```\n',
    );
    expect(text.steps).toEqual([
      { number: 1, title: 'One', tokenIndex: expect.any(Number), commands: ['ls\nisolab answer 0.1 kernel-release "$(uname -r)"'], questionKeys: ['kernel-release'] },
      { number: 2, title: 'Two', tokenIndex: expect.any(Number), commands: ['isolab answer 0.1 pid1 x'], questionKeys: ['pid1'] },
    ]);
  });

  it('agrees with the lesson index about the steps of every lesson', async () => {
    const { lessonIndex } = await import('../../lessons/source-index.js');
    for (const lesson of lessonIndex) {
      const text = parseLessonText(readLessonBody(packageRoot(), lesson));
      expect(text.steps.map((step) => step.title), lesson.id).toEqual(lesson.steps);
      // Every live-quiz question is answered in some step.
      const answered = text.steps.flatMap((step) => step.questionKeys);
      for (const question of lesson.questions) expect(answered, `${lesson.id} ${question.key}`).toContain(question.key);
    }
  });
});
