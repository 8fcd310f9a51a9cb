# cmake -DPROGRAM=... -DNAME=... -DSUBCOMMANDS=a,b -DSUMMARY=... -DVERSION=... -DDATADIR=...
#       -DDOCDIR=... -DOUT=... -P ManPage.cmake
# A man page (roff) from the program's own --help (and each subcommand's), so it says exactly what
# the program does. Paths in it are relative to the install prefix: the page is built before
# anyone knows the prefix, and holds no path of the building machine.

function(help_of out_var)
  execute_process(COMMAND ${PROGRAM} ${ARGN} --help OUTPUT_VARIABLE text ERROR_VARIABLE error RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} ${ARGN} --help failed (${status}): ${error}")
  endif()
  # The usage line names the program as it was started: as it is installed, by its name.
  string(REPLACE "${PROGRAM}" "${NAME}" text "${text}")
  # roff: a backslash is \e, a hyphen \- (so options copy as typed), a line starting with . or '
  # is text, not a request.
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(STRIP "${text}" text)
  set(text "\n${text}")
  string(REPLACE "\n." "\n\\&." text "${text}")
  string(REPLACE "\n'" "\n\\&'" text "${text}")
  string(SUBSTRING "${text}" 1 -1 text)
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

string(TOUPPER "${NAME}" title)
string(REPLACE "-" "\\-" roff_name "${NAME}")
help_of(main_help)
set(page ".\\\" Generated from `${NAME} --help` by cmake/ManPage.cmake; do not edit.
.TH \"${title}\" \"1\" \"\" \"${NAME} ${VERSION}\" \"User Commands\"
.nh
.SH NAME
${roff_name} \\- ${SUMMARY}
.SH SYNOPSIS
.B ${roff_name}
[\\fIOPTIONS\\fR]
.SH DESCRIPTION
.nf
${main_help}
.fi
")
if(SUBCOMMANDS)
  string(REPLACE "," ";" SUBCOMMANDS "${SUBCOMMANDS}")
  string(APPEND page ".SH COMMANDS\n")
  foreach(command IN LISTS SUBCOMMANDS)
    help_of(command_help ${command})
    string(APPEND page ".SS \"${roff_name} ${command}\"\n.nf\n${command_help}\n.fi\n")
  endforeach()
endif()
string(REPLACE "-" "\\-" roff_datadir "${DATADIR}")
string(REPLACE "-" "\\-" roff_docdir "${DOCDIR}")
string(APPEND page ".SH FILES
.TP
.I <prefix>/${roff_datadir}/adapters/profiles/
the shipped device profiles; refclient*.yaml drive the bundled reference client
.TP
.I <prefix>/${roff_datadir}/fixtures/pki/ \\fRand\\fP fixtures/keys/
the suite's test PKI and package signing keys (test material, not secrets)
.SH SEE ALSO
.I <prefix>/${roff_docdir}/README.md
and the guides in
.IR <prefix>/${roff_docdir}/docs/ .
")
file(WRITE ${OUT} "${page}")
