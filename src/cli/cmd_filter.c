#include "cli.h"
#include <stdio.h>
int cmd_filter(int argc, char **argv){(void)argc;(void)argv;return 2;}
