package awsops

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/plconsole/plconsole/model"
)

// maxTagResourcesPerCall bounds the resource ids of one CreateTags or DeleteTags request.
const maxTagResourcesPerCall = 1000

// TagResources sets tags (CreateTags) and then removes tag keys (DeleteTags) on resources
// the provider owns: connections (vpce-con-…), services, allowed principals. Either list may
// be empty. Each request is a write with its own audit line; CreateTags and DeleteTags are
// all or nothing per request, so the first failure is returned and nothing after it is sent.
func (c *Client) TagResources(ctx context.Context, ids []string, set map[string]string, remove []string) error {
	ids = dedupe(ids)
	if len(set) > 0 {
		tags := tagsToSDK(set)
		err := c.tagWrite(ctx, "CreateTags", ids, tagTargets(set, nil), func(s *session, chunk []string) (middleware.Metadata, error) {
			out, err := s.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: chunk, Tags: tags, DryRun: c.dryRun()})
			if err != nil {
				return middleware.Metadata{}, err
			}
			return out.ResultMetadata, nil
		})
		if err != nil {
			return err
		}
	}
	if len(remove) == 0 {
		return nil
	}
	keys := append([]string(nil), remove...)
	sort.Strings(keys)
	var del []types.Tag
	for _, k := range keys {
		del = append(del, types.Tag{Key: aws.String(k)})
	}
	return c.tagWrite(ctx, "DeleteTags", ids, tagTargets(nil, keys), func(s *session, chunk []string) (middleware.Metadata, error) {
		out, err := s.ec2.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: chunk, Tags: del, DryRun: c.dryRun()})
		if err != nil {
			return middleware.Metadata{}, err
		}
		return out.ResultMetadata, nil
	})
}

// tagWrite sends one tagging operation over ids in chunks, one audited write per chunk,
// and stops at the first failure.
func (c *Client) tagWrite(ctx context.Context, op string, ids, tagTargets []string, send func(s *session, chunk []string) (middleware.Metadata, error)) error {
	for _, chunk := range chunks(ids, maxTagResourcesPerCall) {
		err := c.doWriteFor(model.AuditReason(ctx), op, append(append([]string{}, chunk...), tagTargets...), func(s *session) (writeOutcome, error) {
			md, err := send(s, chunk)
			if err != nil {
				return writeOutcome{}, err
			}
			return writeOutcome{requestIDs: requestIDs(md), succeeded: chunk}, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// tagTargets names the tags of a tagging write in its audit line ("tag:team=data", "tag:-team").
func tagTargets(set map[string]string, remove []string) []string {
	var out []string
	if len(set) > 0 {
		out = append(out, "tag:"+model.FormatTags(set, ","))
	}
	for _, k := range remove {
		out = append(out, "tag:-"+k)
	}
	return out
}
