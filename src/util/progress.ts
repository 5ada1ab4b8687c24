/**
 * Progress for long work: a live status block on an interactive terminal, plain one-line
 * events everywhere else (CI, pipes), and nothing at all when quiet. Always on stderr.
 */
export interface Progress {
  start(task: string, message?: string): void;
  update(task: string, message: string): void;
  done(task: string, message: string): void;
  info(message: string): void;
  close(): void;
}

export function createProgress(opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { start() {}, update() {}, done() {}, info() {}, close() {} };
  const live = stream.isTTY === true && !process.env.CI;
  if (!live) {
    return {
      start: (task, message) => stream.write(`${task}: ${message ?? 'started'}\n`),
      update() {},
      done: (task, message) => stream.write(`${task}: ${message}\n`),
      info: (message) => stream.write(`${message}\n`),
      close() {},
    };
  }
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  const tasks = new Map<string, { message: string; done: boolean }>();
  let drawn = 0;
  let tick = 0;
  const draw = () => {
    if (drawn > 0) stream.write(`\x1b[${drawn}A`);
    const width = stream.columns ?? 100;
    for (const [task, t] of tasks) {
      const mark = t.done ? '✓' : frames[tick % frames.length];
      stream.write(`\x1b[2K${`${mark} ${task}: ${t.message}`.slice(0, width - 1)}\n`);
    }
    drawn = tasks.size;
    tick += 1;
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    start: (task, message) => {
      tasks.set(task, { message: message ?? 'started', done: false });
      draw();
    },
    update: (task, message) => {
      const t = tasks.get(task);
      if (t) t.message = message;
    },
    done: (task, message) => {
      tasks.set(task, { message, done: true });
      draw();
    },
    info: (message) => {
      draw();
      stream.write(`${message}\n`);
      drawn = 0;
    },
    close: () => {
      clearInterval(timer);
      draw();
    },
  };
}
