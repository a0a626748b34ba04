import { ProgressBar } from '../../../local/cli/progress-bar';

function output(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
}

describe('ProgressBar', () => {
  it('redraws in place on a terminal, at most ten times a second, and always at the end', () => {
    const out = output(true);
    let now = 0;
    const bar = new ProgressBar(out, 'Sample', 4, () => now);
    now = 1000;
    bar.update(1, '10 events');
    now = 1050;
    bar.update(2, '20 events');
    bar.update(4, '40 events');
    bar.finish('Done: 40 events');

    expect(out.writes).toHaveLength(3);
    expect(out.writes[0]).toBe(`\rSample ${'█'.repeat(8)}${'░'.repeat(22)}  25% 10 events\x1b[K`);
    expect(out.writes[1]).toMatch(/^\rSample █{30} 100% 40 events/);
    expect(out.writes[2]).toBe('\r\x1b[KDone: 40 events\n');
  });

  it('writes only the summary line when the output is not a terminal', () => {
    const out = output(false);
    const bar = new ProgressBar(out, 'Sample', 4);
    bar.update(1);
    bar.update(4);
    bar.finish('Done: 40 events');
    expect(out.writes).toEqual(['Done: 40 events\n']);
  });
});
