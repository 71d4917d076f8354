// Part of `npm run build`: bundles the GraphiQL sandbox into dist/sandbox-bundle, so the built hub serves it
// without building anything at run time. (From the source tree, `npm start` builds it into node_modules/.cache.)
import { buildSandboxBundle, PREBUILT_DIR } from '../dist/src/server/sandbox-bundle.js';

await buildSandboxBundle(PREBUILT_DIR);
console.error(`bundled the sandbox into ${PREBUILT_DIR}`);
