// Package readlimit reads files and streams with a size limit, so that a
// configuration, sweep file or archive entry given by mistake (a device
// such as /dev/zero, a multi-gigabyte file) or on purpose (a zip bomb) ends
// in an error naming the file and the limit instead of exhausting memory.
package readlimit
