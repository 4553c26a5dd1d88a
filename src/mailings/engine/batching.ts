/**
 * Groups recipients into batches: one batch = one SendGrid request = one variant, at most `size`
 * recipients (SendGrid allows 1000 personalizations). Holds at most one open batch per variant, so
 * memory stays bounded however many recipients stream through.
 */
export interface Batch<T> {
  variant: string;
  recipients: T[];
}

export class BatchPlanner<T> {
  private readonly open = new Map<string, T[]>();

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1 || size > 1000) throw new Error('A batch holds 1 to 1000 recipients.');
  }

  /** Adds a recipient; returns the batch it completed, if any. */
  add(variant: string, recipient: T): Batch<T> | null {
    const recipients = this.open.get(variant) ?? [];
    recipients.push(recipient);
    if (recipients.length < this.size) {
      this.open.set(variant, recipients);
      return null;
    }
    this.open.delete(variant);
    return { variant, recipients };
  }

  /** The remaining, partly filled batches. */
  flush(): Array<Batch<T>> {
    const rest = [...this.open.entries()].map(([variant, recipients]) => ({ variant, recipients }));
    this.open.clear();
    return rest;
  }
}
