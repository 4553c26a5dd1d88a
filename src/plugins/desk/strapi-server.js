'use strict';
/* global strapi */

/**
 * Strapi loads a local plugin's server from its source folder, but this plugin's server is
 * TypeScript: tsconfig.json compiles it with the app into dist/ (next to the src/ modules it
 * imports), and this entry point hands Strapi that compiled module.
 */
const path = require('node:path');

module.exports = require(path.join(strapi.dirs.dist.src, 'plugins', 'desk', 'server', 'src')).default;
