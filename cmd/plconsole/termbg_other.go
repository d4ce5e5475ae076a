//go:build !unix

package main

import "os"

// terminalBackground is not asked elsewhere: the colour library's own detection applies.
func terminalBackground(*os.File) (dark, known bool) { return false, false }
