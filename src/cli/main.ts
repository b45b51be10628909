/** guild-vault: the command line over the same engine as the extension. */
async function main(argv: string[]): Promise<number> {
  process.stdout.write(`guild-vault: ${argv.join(' ')}\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));
