/** Agents per page on /agents (the first page comes with the HTML, the rest via "Load more"). */
export const AGENTS_PAGE_SIZE = 60;
