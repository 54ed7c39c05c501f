#include "common.h"
#include <json-c/json.h>
size_t one(const char*p,size_t len){static json_tokener*tok;if(!tok)tok=json_tokener_new();json_tokener_reset(tok);json_object*j=json_tokener_parse_ex(tok,p,len);json_object*s=0;json_object_object_get_ex(j,"text",&s);size_t r=json_object_get_string_len(s);json_object_put(j);return r;}
