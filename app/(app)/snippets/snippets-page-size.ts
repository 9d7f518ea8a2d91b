// Page size of the snippet list, shared by the server page and the client view (a constant
// exported from a "use client" module would reach the server as a client reference).
export const SNIPPETS_PAGE_SIZE = 30;
