export * from './documents.js';
export { formatVerify, formatVerifyAll, formatCheck } from './human.js';
export { toJUnit } from './junit.js';
