export { exportServer } from './exportServer';
export { EXPORT_FORMATS, MEDIA_MODES, type ExportFormat, type ExportOptions, type ExportReport, type MediaMode } from './types';
export { MANIFEST_FILE } from './manifest';
export { safeStem, channelFileName, mediaFileName, bundleFileName } from './fileNames';
