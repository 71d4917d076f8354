/**
 * What one request read that the access log must record: the companies (by CVR) whose contact entries or
 * personal names (consultants, advisors) it returned, and which kinds of data those were. Filled by the
 * scope enforcement as fields marked `@accessLogged` resolve; written once per request, after execution.
 */
export class AccessRecorder {
  readonly cvrs = new Set<string>();
  readonly reads = new Set<string>();

  record(cvr: string | null | undefined, what: string): void {
    if (!cvr) return;
    this.cvrs.add(cvr);
    this.reads.add(what);
  }

  get empty(): boolean {
    return this.cvrs.size === 0;
  }
}
