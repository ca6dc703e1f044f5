/** A reason a person can act on for a failed file-system call (no stack, no errno numbers). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'path does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (the file cannot be read)';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'path is too long';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files; try again';
    case 'EIO':
      return 'input/output error reading the disk';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
