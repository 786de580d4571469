# forms-lib.sh - what test-forms.sh and test-forms-office.sh share (sourced
# after office-lib.sh; not a test): the hostile values and the key-script
# lines that throw them at a form's fields, and the count of what was
# tried. Every hostile_* call writes a "# hostile-field FORM FIELD N" line
# into the script so the count comes from the scripts actually played.

RTL=$(printf '\342\200\256')			# U+202E RIGHT-TO-LEFT OVERRIDE
ARABIC=$(printf '\331\205\330\261\330\255\330\250\330\247')	# marhaba
COMB=$(printf 'e\314\201\314\201\314\201\314\201')	# e + 4 combining acutes
SQLI="Bobby'); DROP TABLE accounts;--"

# The values each hostile_* call types (for the count).
HOSTILE_VALUES=6

# hostile_bytes FORM FIELD: the start both below share - the field's
# header line, then NUL, C0 and DEL, the 8-bit CSI and bytes that are not
# UTF-8, each refused with its message and cleared.
hostile_bytes() {
	cat <<KEYS
# hostile-field $1 $2 $HOSTILE_VALUES
bytes 00
expect control characters are not allowed
key C-u
bytes 01 07 7f
expect control characters are not allowed
key C-u
bytes c2 9b
expect control characters are not allowed
key C-u
bytes ff fe c0 af ed a0 80
expect invalid UTF-8 input was rejected
key C-u
KEYS
}

# hostile FORM FIELD: script lines that throw every bad input at the
# focused text field, each followed by the message it must give, then
# clear the field: NUL; C0 controls and DEL; the 8-bit CSI (U+009B; a
# 7-bit ESC is the Esc key, which leaves the form - escape sequences in
# data are tested on screen); bytes that are not UTF-8, an overlong '/'
# and a surrogate; a sequence cut short by the next key; 10 KB.
hostile() {
	hostile_bytes "$1" "$2"
	cat <<KEYS
bytes e2 82
key Tab
key BTab
expect invalid UTF-8 input was rejected
key C-u
paste 1000 xxxxxxxxxx
expect too long
key C-u
KEYS
}

# hostile_num FORM FIELD [MESSAGE]: the same for a field of digits (a
# number, a date, an amount): letters give MESSAGE (default "digits only
# here"), 10 KB of digits is too long.
hostile_num() {
	hostile_bytes "$1" "$2"
	cat <<KEYS
type 1'
expect ${3:-digits only here}
key C-u
paste 1000 1234567890
expect too long
key C-u
KEYS
}

# stored N: a comment counting N more hostile values typed (SQL, right-to-
# left, combining characters...) whose result is checked: compared byte
# for byte in the database, or found by a search.
stored() { echo "# stored-values $1"; }

# tried_line FILES...: the "# tried:" line from the key scripts played.
tried_line() {
	cat "$@" | awk '
	    $2 == "hostile-field" { forms[$3] = 1; fields[$3 " " $4] = 1;
		n += $5 }
	    $2 == "stored-values" { n += $3 }
	    END { printf "# tried: %d forms, %d fields, %d values\n",
		length(forms), length(fields), n }'
}
