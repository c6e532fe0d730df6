/**
 * The data worker a built site's pages share. Opening the next page of the
 * site in place hands the running worker on (`DataProcess.adopt`), so DuckDB
 * starts once per visit to the site instead of once per page; anything else
 * (a single built notebook, a shared link) opens with its own worker.
 */
import { DataProcess } from './data-process.ts';
import type { OpenOptions, OpenRequest } from './session.ts';
import type { Session } from './session-types.ts';

export class SiteData {
  private process: DataProcess | undefined;
  /** Counts opens: only the newest may take the worker over (`OpenOptions.mayAdopt`). */
  private opens = 0;

  /** `openSession`, or a test's stand-in. */
  constructor(private readonly openSession: (request: OpenRequest, options?: OpenOptions) => Promise<Session>) {}

  /** Opens `request`, on the site's worker when it is a page of the site (a built page with the site's memo, network allowed). */
  readonly open = (request: OpenRequest): Promise<Session> => {
    const scope = request.memoScope;
    if (request.origin.kind !== 'built' || scope === undefined || request.blockNetwork) return this.openSession(request);
    if (this.process?.memoScope !== scope) {
      this.process?.dispose();
      this.process = new DataProcess(scope);
    }
    const open = ++this.opens;
    return this.openSession(request, { data: this.process, mayAdopt: () => open === this.opens });
  };

  /** Ends the worker (the page is going away). */
  dispose(): void {
    this.process?.dispose();
    this.process = undefined;
  }
}
