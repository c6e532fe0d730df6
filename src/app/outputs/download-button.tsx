/** `download(data, filename)`: a button that saves the bytes through a short-lived Blob URL. */
export function DownloadButton(props: { filename: string; mime: string; data: Uint8Array | string; label: string }) {
  const save = () => {
    const part: BlobPart = typeof props.data === 'string' ? props.data : new Uint8Array(props.data);
    const url = URL.createObjectURL(new Blob([part], { type: props.mime || 'application/octet-stream' }));
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = props.filename;
    anchor.click();
    // Revoke later: some browsers read the URL after click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <button type="button" class="button download" onClick={save}>
      <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14">
        <path d="M8 1.5v8.5m0 0L4.5 6.5M8 10l3.5-3.5M2.5 11.5v2h11v-2" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round" />
      </svg>
      {props.label || `Download ${props.filename}`}
    </button>
  );
}
