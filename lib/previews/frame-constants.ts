// Constants shared by the frame document (server) and the viewer (browser): kept apart so
// the client bundle does not pull in node:crypto.
/** Marks every message the frame's bootstrap sends; the parent still treats the content as untrusted. */
export const PREVIEW_MESSAGE_SOURCE = "capreg-preview";
