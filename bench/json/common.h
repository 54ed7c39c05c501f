#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
size_t one(const char*p,size_t len);
int main(int argc,char**argv){
  FILE*f=fopen(argv[1],"rb");fseek(f,0,SEEK_END);long n=ftell(f);fseek(f,0,SEEK_SET);
  char*b=malloc(n+1);if(fread(b,1,n,f)!=(size_t)n)return 1;b[n]=0;
  double t=now();size_t tot=0;char*p=b;
  while(p<b+n){char*e=memchr(p,'\n',b+n-p);if(!e)e=b+n;tot+=one(p,e-p);p=e+1;}
  double d=now()-t;printf("%s %.1f MB/s (%zu)\n",argv[0],n/d/1e6,tot);return 0;}
