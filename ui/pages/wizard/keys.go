package wizard

import "github.com/plconsole/plconsole/ui/common"

// Names of the wizard's key bindings. They are declared in the console's key map (so help
// lists them and the config file's [keys] rebinds them); a step claims the ones it handles
// through the page's KeyBindings, so the same key can mean another thing elsewhere.
const (
	KeyNextStep      = "nextStep"
	KeyChoose        = "choose"
	KeyAcknowledge   = "acknowledge"
	KeyCreate        = "create"
	KeyApply         = "applyChange"
	KeyCopyCLI       = "copyCLI"
	KeyCopyTerraform = "copyTerraform"
	KeySaveSpec      = "saveSpec"
	KeySaveFiles     = "saveFiles"
	KeyPreflight     = "reviewPreflight"
	KeyVerifyNow     = "verifyNow"
	KeyCopyTXT       = "copyTXT"
	KeyCopyTXTName   = "copyTXTName"
	KeyCopyName      = "copyServiceName"
	KeyTestConsumer  = "testConsumer"
	KeyRetry         = "retryMissing"
	KeyOpenService   = "openService"
)

// GroupWizard is the help group of the wizard's keys.
const GroupWizard = "Setup wizard"

// RegisterKeys declares the wizard's bindings in the key map. The writes (create, verify,
// the test consumer's steps) are marked so read-only mode shows them struck through.
func RegisterKeys(k *common.KeyMap) {
	add := func(name, help string, write bool, keys ...string) *common.Binding {
		return k.Add(name, GroupWizard, help, write, keys...)
	}
	add(KeyNextStep, "next step", false, "enter")
	add(KeyChoose, "choose", false, " ").SetHelp("space", "choose")
	add(KeyAcknowledge, "acknowledge", false, " ").SetHelp("space", "acknowledge")
	add(KeyPreflight, "preflight", false, "p")
	add(KeyCreate, "create", true, "enter")
	add(KeyApply, "apply", true, "enter")
	add(KeyCopyCLI, "copy CLI", false, "c")
	add(KeyCopyTerraform, "copy Terraform", false, "t")
	add(KeySaveSpec, "save spec", false, "s")
	add(KeySaveFiles, "save CLI+TF", false, "w")
	add(KeyRetry, "retry missing", true, "r")
	add(KeyVerifyNow, "verify now", true, "v")
	add(KeyCopyTXT, "copy TXT value", false, "y")
	add(KeyCopyTXTName, "copy TXT name", false, "Y")
	add(KeyCopyName, "copy service name", false, "c")
	add(KeyTestConsumer, "test consumer", true, "t")
	add(KeyOpenService, "open service", false, "o")
}
