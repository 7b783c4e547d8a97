export { type DecodeOptions, decodeText, type TextInput } from './common.js';
export {
  CSV_DELIMITERS,
  type CSVReadOptions,
  type CSVReport,
  DEFAULT_MAX_FIELD_CHARS,
  detectDelimiter,
  type ParseCSVOptions,
  parseCSV,
  type RenamedColumn,
  readCSV,
} from './csv-read.js';
export type { BadRow, BadRowHandler } from './csv-scan.js';
