/** One part of a multipart/form-data body. */
export interface FormPart {
  name: string;
  filename: string | undefined;
  contentType: string;
  /** Other Content-Disposition parameters, e.g. WeCom's `filelength`. */
  params: Record<string, string>;
  data: Buffer;
}

/**
 * A lenient multipart/form-data parser, as a real server is: it accepts extra
 * Content-Disposition parameters (WeCom's documented `filelength`) and UTF-8 file names,
 * which stricter parsers refuse. Returns undefined when the body is not multipart.
 */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) return undefined;
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break;
    pos += 2; // CRLF after the delimiter
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) return undefined;
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) return undefined;
    const data = body.subarray(headerEnd + 4, next);
    const params: Record<string, string> = {};
    let contentTypeOfPart = 'application/octet-stream';
    for (const h of headers) {
      const [rawName, ...rest] = h.split(':');
      const value = rest.join(':').trim();
      if (rawName?.toLowerCase() === 'content-type') contentTypeOfPart = value;
      if (rawName?.toLowerCase() === 'content-disposition') {
        for (const p of value.matchAll(/;\s*([\w*-]+)=(?:"([^"]*)"|([^;]*))/g))
          params[(p[1] as string).toLowerCase()] = p[2] ?? (p[3] ?? '').trim();
      }
    }
    const { name = '', filename, ...others } = params;
    parts.push({ name, filename, contentType: contentTypeOfPart, params: others, data });
    pos = next + 2;
  }
  return parts;
}
