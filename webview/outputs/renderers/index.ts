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
import './latex';
import './diff';
import './tree';
import './timeline';
import './gantt';
import './imageGrid';
import './imageCompare';
import './media';
import './mapPoints';
import './mapHeatmap';
import './mapChoropleth';
import './mapPolygons';
import './mapRoute';
