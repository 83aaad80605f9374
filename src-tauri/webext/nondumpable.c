/*
 * A WebKit web-process extension with one job: make the web process
 * non-dumpable, so that other processes of the same user can neither
 * ptrace it nor read /proc/PID/mem. The web process renders decrypted case
 * data; the app's own process is made non-dumpable at start, but that
 * setting does not survive exec, and WebKit starts the web process from its
 * own binary. WebKit calls this entry point in each new web process before
 * it loads any page (see window.rs, which hands WebKit this library).
 */
#include <sys/prctl.h>

__attribute__((visibility("default"))) void webkit_web_extension_initialize(void *extension)
{
    (void)extension;
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}
