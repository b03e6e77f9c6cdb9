// Python's os.path.expanduser(os.path.expandvars(path)), which Ansible applies to command's words
// and to every type=path argument, as a POSIX sh function for the scripts sams runs on the target.

/**
 * `xv WORD` sets R to WORD expanded: $NAME and ${NAME} from the environment (left as written when
 * unset), then a leading ~ ($HOME, else the user's passwd entry) or ~user, the home's trailing
 * slashes dropped as Python drops them. Uses the variables s R n v t u h.
 */
// (Written with $\{ for ${, which a template literal would take as an interpolation.)
export const EXPAND_FN = String.raw`xv() {
  s=$1; R=
  while :; do
    case $s in *'$'*) ;; *) R=$R$s; break;; esac
    R=$R$\{s%%\$*}; s=$\{s#*\$}
    case $s in
      '{'*'}'*) n=$\{s#\{}; n=$\{n%%\}*}; s=$\{s#\{"$n"\}}
        if v=$(printenv -- "$n" 2>/dev/null); then R=$R$v; else R="$R\$\{$n}"; fi ;;
      *) n=$\{s%%[!A-Za-z0-9_]*}; s=$\{s#"$n"}
        if [ -n "$n" ] && v=$(printenv -- "$n" 2>/dev/null); then R=$R$v; else R="$R\$$n"; fi ;;
    esac
  done
  case $R in '~'*) ;; *) return 0 ;; esac
  t=$\{R#\~}; u=$\{t%%/*}; t=$\{t#"$u"}
  if [ -z "$u" ] && [ -n "$\{HOME+x}" ]; then h=$HOME
  else
    if [ -z "$u" ]; then h=$(getent passwd "$(id -u)" 2>/dev/null); else h=$(getent passwd "$u" 2>/dev/null); fi || return 0
    h=$(printf '%s\n' "$h" | cut -d: -f6)
  fi
  while [ "$\{h%/}" != "$h" ]; do h=$\{h%/}; done
  R=$h$t; [ -n "$R" ] || R=/
}`.replaceAll('$\\{', '${');

/** `x WORD` prints WORD expanded (needs EXPAND_FN). */
export const EXPAND_PRINT_FN = 'x() { xv "$1"; printf %s "$R"; }';
