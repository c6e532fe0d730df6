import { Match, Switch } from 'solid-js';
import type { OutputItem } from '../../runtime/protocol.ts';
import { WidgetOutput } from '../widgets/widget-output.tsx';
import { DownloadButton } from './download-button.tsx';
import { FigureOutput } from './figure-output.tsx';
import { HtmlOutput } from './html-output.tsx';
import { MarkdownView } from './markdown-view.tsx';
import { MetricCard } from './metric-card.tsx';
import { ProgressOutput } from './progress-output.tsx';
import { TableView } from './table-view.tsx';
import { ValueInspector } from './value-inspector.tsx';

/** One output item, rendered by its type. `holes` belong to the markdown cell itself and render nothing here. */
export function OutputItemView(props: { item: OutputItem }) {
  const as = <T extends OutputItem['type']>(type: T) =>
    props.item.type === type ? (props.item as Extract<OutputItem, { type: T }>) : undefined;
  return (
    <Switch>
      <Match when={as('text')}>{(item) => <pre class="text-output">{item().text}</pre>}</Match>
      <Match when={as('markdown')}>{(item) => <MarkdownView parts={[item().markdown]} />}</Match>
      <Match when={as('html')}>{(item) => <HtmlOutput html={item().html} />}</Match>
      <Match when={as('figure')}>{(item) => <FigureOutput html={item().html} width={item().width} />}</Match>
      <Match when={as('table')}>{(item) => <TableView table={item().table} />}</Match>
      <Match when={as('value')}>{(item) => <ValueInspector preview={item().preview} typeName={item().typeName} />}</Match>
      <Match when={as('widget')}>{(item) => <WidgetOutput spec={item().widget} />}</Match>
      <Match when={as('metric')}>
        {(item) => <MetricCard label={item().label} value={item().value} delta={item().delta} deltaSign={item().deltaSign} />}
      </Match>
      <Match when={as('progress')}>{(item) => <ProgressOutput label={item().label} value={item().value} max={item().max} />}</Match>
      <Match when={as('download')}>
        {(item) => <DownloadButton filename={item().filename} mime={item().mime} data={item().data} label={item().label} />}
      </Match>
    </Switch>
  );
}
