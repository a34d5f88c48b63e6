/** The file name extension of each scan type, for a download's name. */
const EXTENSIONS: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/**
 * A stored file is the office's copy of whatever was uploaded: a PDF can also be valid HTML (a
 * polyglot), so nothing in it may run in our origin. It is served under its sniffed type, never
 * re-sniffed, under a policy that allows no script, style, frame or form. A PDF shown inline is
 * left out of the sandbox only because Chrome refuses to open its PDF viewer in one (the viewer
 * runs in its own process, and nosniff keeps the bytes from being read as a page).
 */
const STORED_FILE_CSP = "default-src 'none'; img-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'";

/** The response headers of a stored scan: `inline` to show it in the browser, else a download. */
export function storedFileHeaders(file: { id: number; contentType: string }, inline: boolean): Record<string, string> {
  const name = `document-${file.id}.${EXTENSIONS[file.contentType] ?? 'bin'}`;
  const sandbox = inline && file.contentType === 'application/pdf' ? '' : '; sandbox';
  return {
    'content-type': file.contentType,
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${name}"`,
    'content-security-policy': STORED_FILE_CSP + sandbox,
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
  };
}
