export { ARROW_KIND_KEY, ARROW_ROLE_KEY, type ArrowWriteOptions, readArrow, toArrow, writeArrow } from './arrow.js';
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
export { type CSVWriteOptions, csvChunks, writeCSV } from './csv-write.js';
export {
  type JSONReadOptions,
  type JSONWriteOptions,
  type NDJSONReadOptions,
  type ParseNDJSONOptions,
  parseNDJSON,
  readJSON,
  readNDJSON,
  writeJSON,
  writeNDJSON,
} from './json.js';
export { type CSVStreamOptions, type NDJSONStreamOptions, readCSVStream, readNDJSONStream, type StreamOptions, type StreamSource } from './stream.js';
