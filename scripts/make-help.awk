# make help: the Makefile's targets, group by group. Plain POSIX awk (mawk, gawk, BSD awk).
#
# usage: awk -v groups='TAG HEADING\nTAG HEADING...' -v streams='ID:TABLE ID:TABLE...' \
#            -f scripts/make-help.awk Makefile
#
# A target is listed when its rule line ends in a `## [TAG] text` comment, e.g.
#   run: $(JAR) ## [run] All five streams ...
# Groups are printed in the order of `groups` (the Makefile's HELP_GROUPS), each under its heading,
# and within a group the targets in the order their rules appear in the Makefile. The per-stream
# rule, `$(STREAMS): ... ## [run] text`, is listed once per stream of `streams`, with {stream} and
# {table} in its text replaced. A `## ` comment whose TAG is missing or not a group fails make help
# (exit 2), so no described target goes unlisted.

function add(tag, name, text) {
  count[tag]++
  names[tag, count[tag]] = name
  texts[tag, count[tag]] = text
  if (length(name) > width) {
    width = length(name)
  }
}

function replace(text, from, to,    at) {
  while ((at = index(text, from)) > 0) {
    text = substr(text, 1, at - 1) to substr(text, at + length(from))
  }
  return text
}

BEGIN {
  ngroups = 0
  n = split(groups, lines, "\n")
  for (i = 1; i <= n; i++) {
    line = lines[i]
    sub(/^[ \t]+/, "", line)
    if (line == "") {
      continue
    }
    tag = line
    sub(/[ \t].*$/, "", tag)
    title = substr(line, length(tag) + 1)
    sub(/^[ \t]+/, "", title)
    order[++ngroups] = tag
    heading[tag] = title
    count[tag] = 0
  }
  nstreams = split(streams, pairs, " ")
  width = 0
  bad = ""
}

/^(\$\(STREAMS\)|[a-z][a-z0-9-]*):.*## / {
  target = substr($0, 1, index($0, ":") - 1)
  text = substr($0, index($0, "## ") + 3)
  tag = ""
  if (substr(text, 1, 1) == "[" && index(text, "] ") > 2) {
    tag = substr(text, 2, index(text, "] ") - 2)
    text = substr(text, index(text, "] ") + 2)
  }
  if (!(tag in heading)) {
    bad = bad " " target
    next
  }
  if (target == "$(STREAMS)") {
    for (i = 1; i <= nstreams; i++) {
      split(pairs[i], stream, ":")
      add(tag, stream[1], replace(replace(text, "{stream}", stream[1]), "{table}", stream[2]))
    }
  } else {
    add(tag, target, text)
  }
}

END {
  if (bad != "") {
    print "make help: the ## comment of" bad " names no group of HELP_GROUPS ([tag] first)" > "/dev/stderr"
    exit 2
  }
  format = "  %-" width "s  %s\n"
  for (g = 1; g <= ngroups; g++) {
    tag = order[g]
    if (count[tag] == 0) {
      continue
    }
    printf "%s:\n", heading[tag]
    for (i = 1; i <= count[tag]; i++) {
      printf format, names[tag, i], texts[tag, i]
    }
    print ""
  }
}
