/** An edition's row as the sending side reads it from the database. */
export interface EditionRow {
  id: number;
  document_id: string;
  state: import('./edition-state').EditionState;
  cutoff: unknown;
  scheduled_at: unknown;
  intro_nl: string | null;
  subject_nl?: string | null;
  subject_en?: string | null;
  preheader_nl?: string | null;
  preheader_en?: string | null;
  intro_en: string | null;
}
