// Errors of the template engine. Messages name a placeholder path (e.g. `secrets.API_KEY`)
// but never a value, which may be a secret.
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}
