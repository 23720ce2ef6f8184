/**
 * The page's Web Workers as seen over the DevTools protocol: the browser session attaches to each
 * worker target (Target.sendMessageToTarget), so a test can collect garbage there, read the heap
 * and evaluate an expression, such as a worker's test-only hooks.
 */
import type { Browser, CDPSession } from '@playwright/test';

export interface Usage {
  heap: number;
  tensors: number;
}

/** Speaks to each worker target through the browser session (Target.sendMessageToTarget). */
export class Workers {
  #id = 0;
  #pending = new Map<number, (result: unknown) => void>();
  private cdp: CDPSession;
  private sessions: string[];

  private constructor(cdp: CDPSession, sessions: string[]) {
    this.cdp = cdp;
    this.sessions = sessions;
    cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
      const m = JSON.parse(e.message) as { id?: number; result?: unknown };
      if (m.id === undefined) return;
      this.#pending.get(m.id)?.(m.result);
      this.#pending.delete(m.id);
    });
  }

  static async attach(browser: Browser): Promise<Workers> {
    const cdp = await browser.newBrowserCDPSession();
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
    const sessions: string[] = [];
    // Our workers run from the site's files; wasm threads start from blob: URLs and, waiting on
    // shared memory, may never answer the protocol.
    for (const t of targetInfos.filter((t) => t.type === 'worker' && !t.url.startsWith('blob:'))) {
      sessions.push(((await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false })) as { sessionId: string }).sessionId);
    }
    return new Workers(cdp, sessions);
  }

  get count(): number {
    return this.sessions.length;
  }

  #send<T>(session: string, method: string, params: object = {}): Promise<T> {
    const id = ++this.#id;
    const answer = new Promise<T>((resolve) => this.#pending.set(id, resolve as (r: unknown) => void));
    void this.cdp.send('Target.sendMessageToTarget', { sessionId: session, message: JSON.stringify({ id, method, params }) });
    return answer;
  }

  /** Evaluates `expression` in every worker; the values, in the order of `count`. */
  evaluate<T>(expression: string): Promise<T[]> {
    return Promise.all(
      this.sessions.map(async (s) => (await this.#send<{ result: { value?: T } }>(s, 'Runtime.evaluate', { expression, returnByValue: true })).result.value as T),
    );
  }

  /** Each worker's heap after a forced collection, and its live tensors. */
  async usage(): Promise<Usage[]> {
    return Promise.all(
      this.sessions.map(async (s) => {
        await this.#send(s, 'HeapProfiler.collectGarbage');
        const { usedSize } = await this.#send<{ usedSize: number }>(s, 'Runtime.getHeapUsage');
        const r = await this.#send<{ result: { value?: number } }>(s, 'Runtime.evaluate', { expression: 'self.latentLabMemory ? self.latentLabMemory().numTensors : -1', returnByValue: true });
        return { heap: usedSize, tensors: r.result.value ?? -1 };
      }),
    );
  }
}

