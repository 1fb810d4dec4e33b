# bash completion for spotgen (installed as
# share/bash-completion/completions/spotgen). The subcommands and flags are
# read from the program's own --help, so they are always the binary's; only
# the values of a few flags are listed here.

# _spotgen_words CMD... : the subcommands (no CMD) or CMD's flags, from --help
_spotgen_words() {
  local prog=$1; shift
  if [ $# -eq 0 ]; then
    "$prog" --help 2>/dev/null | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p'
  else
    "$prog" "$1" --help 2>/dev/null | grep -o -- '--[a-z0-9][a-z0-9-]*' | sort -u
  fi
}

_spotgen() {
  local cur prev cmd i
  COMPREPLY=()
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  local prog=${COMP_WORDS[0]}
  cmd=
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      -*) ;;
      *) cmd=${COMP_WORDS[i]}; break ;;
    esac
  done
  if [ -z "$cmd" ]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_spotgen_words "$prog") --help --version" -- "$cur")
    return 0
  fi
  case $prev in
    --format)
      mapfile -t COMPREPLY < <(compgen -W "csv csv.gz csv.zst parquet" -- "$cur"); return 0 ;;
    --parquet-codec)
      mapfile -t COMPREPLY < <(compgen -W "zstd snappy none" -- "$cur"); return 0 ;;
    --partition-by)
      mapfile -t COMPREPLY < <(compgen -W "playlist_category release_date:year release_date:month" -- "$cur"); return 0 ;;
    --table-format)
      mapfile -t COMPREPLY < <(compgen -W "iceberg" -- "$cur"); return 0 ;;
    --parquet-bloom)
      mapfile -t COMPREPLY < <(compgen -W "ids none" -- "$cur"); return 0 ;;
    --dirty)
      mapfile -t COMPREPLY < <(compgen -W "light realistic hostile" -- "$cur")
      mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -X '!*.json' -- "$cur"); return 0 ;;
    --truth)
      mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return 0 ;;
    --config)
      mapfile -t COMPREPLY < <(compgen -f -X '!*.json' -- "$cur")
      mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$cur"); return 0 ;;
    --output|-o|--s3-ca-bundle)
      mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return 0 ;;
    --out)
      mapfile -t COMPREPLY < <(compgen -d -W "null: s3://" -- "$cur"); return 0 ;;
    --rows|--seed|--rows-per-part|--chunk-size|--parts|--compression-level|--row-group-size|\
    --artists|--tracks|--playlist-size|--part-size|--s3-inflight|--s3-endpoint|--s3-region|--s3-retries|\
    --s3-timeout|--table|--location|--manifest-size|--group|--days|--day|--as-of|--start)
      return 0 ;; # a value of the user's
  esac
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_spotgen_words "$prog" "$cmd")" -- "$cur")
  elif [ "$cmd" = verify ] || [ "$cmd" = report ]; then
    mapfile -t COMPREPLY < <(compgen -d -- "$cur") # the dataset
  elif [ "$cmd" = score ] || [ "$cmd" = fit ]; then
    mapfile -t COMPREPLY < <(compgen -f -- "$cur") # the cleaning or the sample: a file or a folder
  fi
  return 0
}
complete -F _spotgen spotgen
