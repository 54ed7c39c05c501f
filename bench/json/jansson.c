#include "common.h"
#include <jansson.h>
size_t one(const char*p,size_t len){json_error_t er;json_t*j=json_loadb(p,len,0,&er);size_t r=json_string_length(json_object_get(j,"text"));json_decref(j);return r;}
