package run

import (
	"errors"
	"fmt"
	"strings"
)

// A SettingError refuses the value of one or more settings: Settings names
// them as the table does (the flag without dashes, the configuration
// file's key), and Msg says what is wrong and what is wanted. Commands
// print it naming where each setting came from (a flag, a file's key)
// without parsing the message.
type SettingError struct {
	Settings []string
	Msg      string
	Err      error // the cause, if any
}

func (e *SettingError) Error() string { return strings.Join(e.Settings, ", ") + ": " + e.Msg }

func (e *SettingError) Unwrap() error { return e.Err }

// Invalid returns the SettingError of settings (one name, or several
// separated by ", ") with the message format makes of args; a %w among
// them is the error's cause.
func Invalid(settings, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &SettingError{Settings: strings.Split(settings, ", "), Msg: err.Error(), Err: errors.Unwrap(err)}
}
