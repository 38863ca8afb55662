import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/**
 * An exclusive lock on a data folder: a file `<dir>.lock` beside it, created with O_EXCL, holding
 * our PID (beside, not inside: PostgreSQL's initdb wants an empty folder). A lock left by a
 * process that no longer runs (after `kill -9`) is taken over; a live owner is refused.
 * Returns the function that releases the lock.
 */
export function acquireFolderLock(dir: string): () => void {
  const file = `${dir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSafe(file));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `the data folder ${dir} is in use by process ${owner}; stop it first, or set SCANPAY_DATA_DIR to another folder ` +
            '(embedded PostgreSQL allows one process per folder; use DATABASE_URL to share a database)',
        );
      }
      if (owner === process.pid) throw new Error(`the data folder ${dir} is already open in this process`);
      try {
        unlinkSync(file); // stale: its owner is gone
      } catch {
        // someone else removed it first; try again
      }
    }
  }
  throw new Error(`could not lock the data folder ${dir}`);
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
