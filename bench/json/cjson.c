#include "common.h"
#include <cjson/cJSON.h>
size_t one(const char*p,size_t len){cJSON*j=cJSON_ParseWithLength(p,len);cJSON*s=cJSON_GetObjectItemCaseSensitive(j,"text");size_t r=strlen(s->valuestring);cJSON_Delete(j);return r;}
