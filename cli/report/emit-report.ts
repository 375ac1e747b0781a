// Writes a plan report in the formats a command was asked for: one on stdout (or --output), plus
// optional Markdown and JSON files. Terminal colour only when stdout is a TTY.
import { paletteFor, plainPalette } from './colors';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';
import { renderTerminal } from './render-terminal';
import type { PlanReport } from './report-model';
import { formatFrom, writeFile } from './command-kit';

export const REPORT_FORMATS = ['terminal', 'markdown', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOutputValues {
  format?: string;
  output?: string;
  'markdown-file'?: string;
  'json-file'?: string;
}

export function renderReport(report: PlanReport, format: ReportFormat, color: boolean, title: string): string {
  if (format === 'json') return renderJson(report);
  if (format === 'markdown') return renderMarkdown(report, { title });
  return renderTerminal(report, color ? paletteFor(process.stdout) : plainPalette, title);
}

export function emitReport(report: PlanReport, values: ReportOutputValues, title: string): void {
  const format = formatFrom(values.format, REPORT_FORMATS, 'terminal');
  if (values.output) writeFile(values.output, renderReport(report, format, false, title));
  else process.stdout.write(renderReport(report, format, true, title));
  if (values['markdown-file']) writeFile(values['markdown-file'], renderMarkdown(report, { title }));
  if (values['json-file']) writeFile(values['json-file'], renderJson(report));
}
