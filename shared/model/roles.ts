// B9: which roles work on documents. Documents, their team list and their PDFs are for field,
// office and approver; an account that holds only `admin` (or no role) administers users and
// devices and does not read citizens' letters (least privilege, BIO 9.2). Server and app both ask.

export const DOCUMENT_ROLES = ['field', 'office', 'approver'] as const;

export function worksOnDocuments(roles: readonly string[]): boolean {
  return roles.some((role) => (DOCUMENT_ROLES as readonly string[]).includes(role));
}
