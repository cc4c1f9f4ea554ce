// libedit's readline compatibility header, named explicitly: GNU readline is
// also installed here and the bare <readline/readline.h> would find it.
#include <stdio.h>
#include <editline/readline.h>
#include <histedit.h>
