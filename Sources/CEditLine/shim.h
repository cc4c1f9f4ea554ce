// libedit's readline compatibility header, named explicitly: GNU readline is
// also installed here and the bare <readline/readline.h> would find it.
#include <stdio.h>
#include <locale.h>
#include <langinfo.h>
#include <editline/readline.h>
#include <histedit.h>

// el_set, el_wset and history_w are C variadic functions, which Swift cannot
// call. These wrappers fix one argument list per request so that the Swift
// side stays typed. Only the requests LineEditing uses are wrapped.

typedef unsigned char (*cfsh_el_command_t)(EditLine *, int);
typedef wchar_t *(*cfsh_el_wprompt_t)(EditLine *);

static inline FILE *cfsh_stdin(void) { return stdin; }
static inline FILE *cfsh_stdout(void) { return stdout; }
static inline FILE *cfsh_stderr(void) { return stderr; }

static inline int cfsh_el_set_editor(EditLine *el, const wchar_t *mode) {
    return el_wset(el, EL_EDITOR, mode);
}

static inline int cfsh_el_set_prompt(EditLine *el, cfsh_el_wprompt_t fn) {
    return el_wset(el, EL_PROMPT, fn);
}

static inline int cfsh_el_set_signal(EditLine *el, int on) {
    return el_wset(el, EL_SIGNAL, on);
}

static inline int cfsh_el_set_clientdata(EditLine *el, void *data) {
    return el_wset(el, EL_CLIENTDATA, data);
}

static inline void *cfsh_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_wget(el, EL_CLIENTDATA, &data);
    return data;
}

static inline int cfsh_el_set_getcfn(EditLine *el, el_rfunc_t fn) {
    return el_wset(el, EL_GETCFN, fn);
}

static inline int cfsh_el_add_function(EditLine *el, const wchar_t *name,
                                       const wchar_t *help, cfsh_el_command_t fn) {
    return el_wset(el, EL_ADDFN, name, help, fn);
}

static inline int cfsh_el_bind(EditLine *el, const wchar_t *key, const wchar_t *command) {
    return el_wset(el, EL_BIND, key, command, (const wchar_t *)NULL);
}

static inline int cfsh_el_set_history(EditLine *el, HistoryW *history) {
    return el_wset(el, EL_HIST, history_w, history);
}

/// Raw mode on (1) or the terminal's own cooked mode back (0).
static inline int cfsh_el_prepare_terminal(EditLine *el, int raw) {
    return el_wset(el, EL_PREP_TERM, raw);
}

static inline int cfsh_el_refresh(EditLine *el) {
    return el_wset(el, EL_REFRESH);
}

static inline int cfsh_history_set_size(HistoryW *h, int size) {
    HistEventW event;
    return history_w(h, &event, H_SETSIZE, size);
}

static inline int cfsh_history_set_unique(HistoryW *h, int unique) {
    HistEventW event;
    return history_w(h, &event, H_SETUNIQUE, unique);
}

static inline int cfsh_history_enter(HistoryW *h, const wchar_t *line) {
    HistEventW event;
    return history_w(h, &event, H_ENTER, line);
}

static inline int cfsh_history_clear(HistoryW *h) {
    HistEventW event;
    return history_w(h, &event, H_CLEAR);
}

/// Walks the history from oldest to newest; `first` selects the start.
static inline const wchar_t *cfsh_history_step(HistoryW *h, int first) {
    HistEventW event;
    int rc = first ? history_w(h, &event, H_LAST) : history_w(h, &event, H_PREV);
    return rc == -1 ? NULL : event.str;
}
