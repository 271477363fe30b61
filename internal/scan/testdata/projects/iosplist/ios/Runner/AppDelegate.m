#import "AppDelegate.h"
@import workmanager_apple;
@implementation AppDelegate
- (BOOL)application:(UIApplication *)application didFinishLaunchingWithOptions:(NSDictionary *)launchOptions {
  /* [WorkmanagerPlugin registerBGProcessingTaskWithIdentifier:@"in.a.comment"]; */
  [WorkmanagerPlugin registerBGProcessingTaskWithIdentifier:@"dev.example.native"];
  [[UIApplication sharedApplication] setMinimumBackgroundFetchInterval:UIApplicationBackgroundFetchIntervalMinimum];
  return [super application:application didFinishLaunchingWithOptions:launchOptions];
}
@end
