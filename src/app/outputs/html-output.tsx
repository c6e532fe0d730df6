import { sanitizeHtml } from '../../client/sanitize.ts';

/** `html\`…\`` output, sanitized right before it enters the page. */
export function HtmlOutput(props: { html: string }) {
  return <div class="html-output" innerHTML={sanitizeHtml(props.html)} />;
}
