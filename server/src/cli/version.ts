// The package version, inlined by the bundler from package.json.
import packageJson from '../../../package.json';

export const VERSION: string = packageJson.version;
