export { writeControlFile } from './control-file.js';
