/** The framework-neutral request every recipe sees. Adapters subclass it; bodies are parsed once. */
export type HTTPMethod = "post" | "get" | "delete" | "put" | "patch" | "options" | "trace";

export abstract class BaseRequest {
  wrapperUsed: boolean;
  original: unknown;
  private parsedJSONBody: Promise<unknown> | undefined;
  private parsedFormData: Promise<unknown> | undefined;

  constructor() {
    this.wrapperUsed = true;
    this.original = undefined;
  }

  protected abstract getJSONFromRequestBody(): Promise<unknown>;
  protected abstract getFormDataFromRequestBody(): Promise<unknown>;

  abstract getKeyValueFromQuery(key: string): string | undefined;
  abstract getMethod(): HTTPMethod;
  abstract getCookieValue(key: string): string | undefined;
  abstract getHeaderValue(key: string): string | undefined;
  abstract getOriginalURL(): string;
  /** The peer's address (the socket's, or what the platform reports); undefined when the bridge cannot tell. */
  getRemoteAddress?(): string | undefined;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK exposes the parsed body as any
  getJSONBody = async (): Promise<any> => {
    this.parsedJSONBody ??= this.getJSONFromRequestBody();
    return this.parsedJSONBody;
  };

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK exposes the parsed body as any
  getFormData = async (): Promise<any> => {
    this.parsedFormData ??= this.getFormDataFromRequestBody();
    return this.parsedFormData;
  };

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK exposes the parsed body as any
  getBodyAsJSONOrFormData = async (): Promise<any> => {
    const contentType = this.getHeaderValue("content-type") ?? "";
    return contentType.startsWith("application/x-www-form-urlencoded") ? this.getFormData() : this.getJSONBody();
  };
}
