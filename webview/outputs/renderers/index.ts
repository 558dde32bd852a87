// Every output module this version has. Each import registers one type; other types get the "not yet supported"
// card with their value as JSON.
import './text';
import './markdown';
import './number';
import './boolean';
import './kv';
import './table';
import './code';
import './image';
import './file';
import './log';
import './progress';
import './streamText';
