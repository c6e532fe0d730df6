import { sanitizeHtml } from '../../client/sanitize.ts';
import { useSanitizeOptions } from '../notebook-context.ts';

/** `html\`…\`` output, sanitized right before it enters the page. */
export function HtmlOutput(props: { html: string }) {
  const options = useSanitizeOptions();
  return <div class="html-output" innerHTML={sanitizeHtml(props.html, options)} />;
}
