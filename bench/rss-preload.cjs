// Preloaded into a measured process: prints its peak resident set size (KB) on stderr at exit.
process.on('exit', () => process.stderr.write(`\nBENCH_MAXRSS_KB ${process.resourceUsage().maxRSS}\n`));
