/**
 * Project name -> Python-safe slug, and why a name cannot be one.
 * The slug names the project's own Python package, the database and the container image.
 */

/** Every top-level standard-library module of Python 3.11 to 3.14: a package named like one shadows it. */
const STDLIB = new Set([
  'abc', 'aifc', 'annotationlib', 'antigravity', 'argparse', 'array', 'ast', 'asynchat', 'asyncio', 'asyncore',
  'atexit', 'audioop', 'base64', 'bdb', 'binascii', 'bisect', 'builtins', 'bz2', 'cProfile', 'calendar', 'cgi',
  'cgitb', 'chunk', 'cmath', 'cmd', 'code', 'codecs', 'codeop', 'collections', 'colorsys', 'compileall',
  'compression', 'concurrent', 'configparser', 'contextlib', 'contextvars', 'copy', 'copyreg', 'crypt', 'csv',
  'ctypes', 'curses', 'dataclasses', 'datetime', 'dbm', 'decimal', 'difflib', 'dis', 'distutils', 'doctest',
  'email', 'encodings', 'ensurepip', 'enum', 'errno', 'faulthandler', 'fcntl', 'filecmp', 'fileinput',
  'fnmatch', 'fractions', 'ftplib', 'functools', 'gc', 'genericpath', 'getopt', 'getpass', 'gettext', 'glob',
  'graphlib', 'grp', 'gzip', 'hashlib', 'heapq', 'hmac', 'html', 'http', 'idlelib', 'imaplib', 'imghdr', 'imp',
  'importlib', 'inspect', 'io', 'ipaddress', 'itertools', 'json', 'keyword', 'lib2to3', 'linecache', 'locale',
  'logging', 'lzma', 'mailbox', 'mailcap', 'marshal', 'math', 'mimetypes', 'mmap', 'modulefinder', 'msilib',
  'msvcrt', 'multiprocessing', 'netrc', 'nis', 'nntplib', 'nt', 'ntpath', 'nturl2path', 'numbers', 'opcode',
  'operator', 'optparse', 'os', 'ossaudiodev', 'pathlib', 'pdb', 'pickle', 'pickletools', 'pipes', 'pkgutil',
  'platform', 'plistlib', 'poplib', 'posix', 'posixpath', 'pprint', 'profile', 'pstats', 'pty', 'pwd',
  'py_compile', 'pyclbr', 'pydoc', 'pydoc_data', 'pyexpat', 'queue', 'quopri', 'random', 're', 'readline',
  'reprlib', 'resource', 'rlcompleter', 'runpy', 'sched', 'secrets', 'select', 'selectors', 'shelve', 'shlex',
  'shutil', 'signal', 'site', 'smtpd', 'smtplib', 'sndhdr', 'socket', 'socketserver', 'spwd', 'sqlite3',
  'sre_compile', 'sre_constants', 'sre_parse', 'ssl', 'stat', 'statistics', 'string', 'stringprep', 'struct',
  'subprocess', 'sunau', 'symtable', 'sys', 'sysconfig', 'syslog', 'tabnanny', 'tarfile', 'telnetlib',
  'tempfile', 'termios', 'textwrap', 'this', 'threading', 'time', 'timeit', 'tkinter', 'token', 'tokenize',
  'tomllib', 'trace', 'traceback', 'tracemalloc', 'tty', 'turtle', 'turtledemo', 'types', 'typing',
  'unicodedata', 'unittest', 'urllib', 'uu', 'uuid', 'venv', 'warnings', 'wave', 'weakref', 'webbrowser',
  'winreg', 'winsound', 'wsgiref', 'xdrlib', 'xml', 'xmlrpc', 'zipapp', 'zipfile', 'zipimport', 'zlib',
  'zoneinfo',
]);

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type',
]);

/** Names the generated project itself uses, or that its dependencies import under. */
const TAKEN: Record<string, string> = {
  django: 'it would shadow Django',
  test: 'it would shadow the standard library test package',
  tests: 'the project keeps its tests there',
  config: 'the project keeps its settings there',
  celery: 'it would shadow Celery',
  kombu: 'it would shadow kombu (Celery)',
  environ: 'it would shadow django-environ',
  gunicorn: 'it would shadow gunicorn',
  uvicorn: 'it would shadow uvicorn',
  uvicorn_worker: 'it would shadow uvicorn-worker',
  granian: 'it would shadow granian',
  whitenoise: 'it would shadow WhiteNoise',
  redis: 'it would shadow redis-py',
  pymemcache: 'it would shadow pymemcache',
  psycopg: 'it would shadow psycopg',
  mysqldb: 'it would shadow mysqlclient',
  pythonjsonlogger: 'it would shadow python-json-logger',
  honcho: 'it would shadow honcho',
  pytest: 'it would shadow pytest',
  pytest_django: 'it would shadow pytest-django',
};

export const MAX_NAME = 50;

/** `My Site` -> `my_site`. */
export function toSlug(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * The directory the project is written to. A name a shell takes unquoted (`my-site`, `shop_api`, `MySite`)
 * is kept as typed; any other (`My Shop`, `Bob's shop`) becomes its slug with dashes (`my-shop`), the
 * name pip and docker compose already use, so nobody has to quote `cd` or a path.
 */
export function projectDirectory(name: string): string {
  const trimmed = name.trim();
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(trimmed) ? trimmed : toSlug(trimmed).replaceAll('_', '-');
}

/** Why `name` cannot be a project, or undefined when it can. */
export function projectNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'it is empty';
  if (/[\\/]/.test(name) || name === '.' || name === '..') return 'it must be a directory name, not a path';
  const slug = toSlug(name);
  if (slug === '') return 'it has no letters or digits';
  // Longer names would push generated lines past the formatter's width.
  if (name.length > MAX_NAME) return `it is ${name.length} characters long; keep it to ${MAX_NAME}`;
  if (!/^[a-z]/.test(slug)) return `its Python name "${slug}" must start with a letter`;
  if (KEYWORDS.has(slug)) return `"${slug}" is a Python keyword`;
  if (TAKEN[slug]) return `"${slug}": ${TAKEN[slug]}`;
  if (STDLIB.has(slug)) return `"${slug}" is a standard-library module and would shadow it`;
  return undefined;
}

/** `my_site` -> `MySite`, for the AppConfig class name. */
export function pascal(slug: string): string {
  return slug
    .split('_')
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** `my_site` -> `my-site`: the slug as a DNS-1123 label (compose project, image and Kubernetes names). */
export const dnsName = (slug: string) => slug.replaceAll('_', '-');
